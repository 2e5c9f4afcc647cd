package dev.nhi.identity.core;

/** What sort of machine identity a record describes. */
public enum NhiKind implements WireEnum {
    SERVICE_ACCOUNT("service-account"),
    WORKLOAD("workload"),
    AI_AGENT("ai-agent"),
    API_INTEGRATION("api-integration");

    private final String wire;

    NhiKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
