<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("nhiGrantPendingBody", requestedBy, clientId, scopes, durationMinutes, reason)}</p>
</@layout.emailLayout>
