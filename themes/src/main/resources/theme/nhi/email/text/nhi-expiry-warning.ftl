<#ftl output_format="plainText">
<#import "template.ftl" as layout>
<@layout.emailLayout>
${msg("nhiExpiryWarningBody", clientId, expiresAt, purpose)}
</@layout.emailLayout>
