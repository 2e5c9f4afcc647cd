package dev.nhi.identity.jpa;

import java.util.List;

/** The identity tables {@code NHI_RECORD}, {@code NHI_RECORD_VERSION} and {@code NHI_NOTIFICATION} (history {@code DATABASECHANGELOG_NHI}). */
public final class NhiEntityProviderFactory extends TablesProviderFactory {
    public static final String PROVIDER_ID = "nhi";

    public NhiEntityProviderFactory() {
        super(PROVIDER_ID, "META-INF/nhi-changelog-master.xml",
                List.of(NhiRecordEntity.class, NhiRecordVersionEntity.class, NotificationSentEntity.class));
    }
}
