<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("nhiReviewDueBody", clientId, reviewDueAt, purpose)}</p>
</@layout.emailLayout>
