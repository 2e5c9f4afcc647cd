<#ftl output_format="plainText">
<#macro emailLayout>
${msg("nhiGreeting", recipient)}

<#nested>

${msg("nhiOpenConsole")}: ${link}

--
${msg("nhiFooter", realmName)}
</#macro>
