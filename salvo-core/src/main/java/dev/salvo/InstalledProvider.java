package dev.salvo;

import java.util.ServiceLoader;

/** The {@link SalvoProvider} of this process, loaded once on first use. */
final class InstalledProvider {
    static final SalvoProvider PROVIDER = ServiceLoader.load(SalvoProvider.class, SalvoProvider.class.getClassLoader())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no Salvo implementation was found: the salvo-core jar "
                    + "(META-INF/services/dev.salvo.SalvoProvider, or its module descriptor) must be on the class "
                    + "path or module path"));

    private InstalledProvider() {
    }
}
