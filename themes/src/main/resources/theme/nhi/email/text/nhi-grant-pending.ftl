<#ftl output_format="plainText">
<#import "template.ftl" as layout>
<@layout.emailLayout>
${msg("nhiGrantPendingBody", requestedBy, clientId, scopes, durationMinutes, reason)}
</@layout.emailLayout>
