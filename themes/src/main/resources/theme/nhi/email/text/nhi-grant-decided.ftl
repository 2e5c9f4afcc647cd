<#ftl output_format="plainText">
<#import "template.ftl" as layout>
<@layout.emailLayout>
${msg("nhiGrantDecidedBody", clientId, scopes, decision, decidedBy, comment)}
</@layout.emailLayout>
