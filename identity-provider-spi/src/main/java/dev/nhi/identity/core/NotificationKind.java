package dev.nhi.identity.core;

import java.util.Locale;

/**
 * What an owner, an approver or an administrator is told by e-mail. Each kind has a template of the
 * {@code nhi} e-mail theme ({@code html/} and {@code text/}) and a subject in its message bundle.
 */
public enum NotificationKind implements WireEnum {
    /** To the owner: the NHI expires within {@code expiryWarningDays}. */
    EXPIRY_WARNING,
    /** To the owner: the review falls due within {@code expiryWarningDays}, or is overdue. */
    REVIEW_DUE,
    /** To every {@code nhi-admin}: the owner was disabled or deleted. */
    ORPHANED,
    /** To every {@code nhi-admin} but the requester: a JIT grant awaits a decision. */
    GRANT_PENDING,
    /** To the requester: their JIT grant was approved or denied. */
    GRANT_DECIDED;

    @Override
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The template file, in the theme's {@code html/} and {@code text/} folders. */
    public String template() {
        return "nhi-" + wire() + ".ftl";
    }

    /** The message-bundle key of the subject line. */
    public String subjectKey() {
        StringBuilder key = new StringBuilder("nhi");
        for (String part : wire().split("-")) {
            key.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return key.append("Subject").toString();
    }
}
