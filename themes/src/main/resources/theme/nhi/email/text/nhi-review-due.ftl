<#ftl output_format="plainText">
<#import "template.ftl" as layout>
<@layout.emailLayout>
${msg("nhiReviewDueBody", clientId, reviewDueAt, purpose)}
</@layout.emailLayout>
