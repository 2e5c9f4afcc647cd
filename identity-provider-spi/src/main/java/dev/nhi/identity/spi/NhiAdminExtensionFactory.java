package dev.nhi.identity.spi;

/** Factory of an {@link NhiAdminExtension}; its id is the path segment it is mounted at. */
public interface NhiAdminExtensionFactory extends StatelessProviderFactory<NhiAdminExtension> {
}
