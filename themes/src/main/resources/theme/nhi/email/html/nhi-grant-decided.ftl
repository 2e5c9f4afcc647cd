<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("nhiGrantDecidedBody", clientId, scopes, decision, decidedBy, comment)}</p>
</@layout.emailLayout>
