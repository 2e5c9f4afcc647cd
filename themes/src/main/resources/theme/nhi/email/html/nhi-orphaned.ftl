<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("nhiOrphanedBody", clientId, orphanedAt, purpose)}</p>
</@layout.emailLayout>
