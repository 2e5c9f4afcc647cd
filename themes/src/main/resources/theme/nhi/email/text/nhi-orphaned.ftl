<#ftl output_format="plainText">
<#import "template.ftl" as layout>
<@layout.emailLayout>
${msg("nhiOrphanedBody", clientId, orphanedAt, purpose)}
</@layout.emailLayout>
