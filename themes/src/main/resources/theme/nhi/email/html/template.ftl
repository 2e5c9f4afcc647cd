<#macro emailLayout>
<html>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #1f2328;">
<p>${msg("nhiGreeting", recipient)}</p>
<#nested>
<p><a href="${link}" style="background: #0b5cad; color: #ffffff; padding: 8px 14px; text-decoration: none; border-radius: 4px;">${msg("nhiOpenConsole")}</a></p>
<p style="color: #57606a; font-size: 12px;">${msg("nhiFooter", realmName)}</p>
</body>
</html>
</#macro>
