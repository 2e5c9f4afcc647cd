<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("nhiExpiryWarningBody", clientId, expiresAt, purpose)}</p>
</@layout.emailLayout>
