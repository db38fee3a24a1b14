package dev.salvo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md, checked on the compiled main classes: arrows between packages run
 * one way. Each rule names the direction it protects, so a failure says which arrow was added.
 */
class LayersTest {
    private static final String API = "dev.salvo";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(API);
    }

    /** Every package, the API's own included, is one slice; the root package is not left out. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String p = javaClass.getPackageName();
            return p.equals(API) || p.startsWith(API + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of dev.salvo";
        }
    };

    @Test
    void packagesFormNoCycle() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
    }

    @Test
    void apiDependsOnNoImplementationPackage() {
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(API + ".(*)..")
                .because("the API finds its implementation as a service (SalvoProvider), never by name")
                .check(classes);
    }

    @Test
    void writeEngineDependsOnlyOnTheApi() {
        noClasses().that().resideInAPackage(API + ".write")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".channel..", API + ".loop..",
                        API + ".read..", API + ".transport..")
                .because("the write engine is pure: it sees the API's exceptions and value types and its own writer SPI")
                .check(classes);
    }

    @Test
    void readPathDependsOnlyOnTheApi() {
        noClasses().that().resideInAPackage(API + ".read")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".channel..", API + ".loop..",
                        API + ".write..", API + ".transport..", "java.lang.foreign..")
                .because("the transports fill the read SPI; decoding works on plain buffers, not native memory")
                .check(classes);
    }

    @Test
    void transportSpiKnowsNoTransport() {
        noClasses().that().resideInAPackage(API + ".transport")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".transport.linux..", API + ".transport.nio..",
                        API + ".channel..", API + ".loop..")
                .check(classes);
    }

    @Test
    void transportsKnowNeitherEachOtherNorTheLayersAbove() {
        noClasses().that().resideInAPackage(API + ".transport.linux..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".transport.nio..", API + ".channel..",
                        API + ".loop..")
                .check(classes);
        noClasses().that().resideInAPackage(API + ".transport.nio..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".transport.linux..", API + ".channel..",
                        API + ".loop..")
                .check(classes);
    }

    @Test
    void onlyTheChannelPackageChoosesATransport() {
        noClasses().that().resideOutsideOfPackages(API + ".channel", API + ".transport.linux..")
                .should().dependOnClassesThat().resideInAPackage(API + ".transport.linux..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages(API + ".channel", API + ".transport.nio..")
                .should().dependOnClassesThat().resideInAPackage(API + ".transport.nio..")
                .check(classes);
    }

    @Test
    void ioUringBuildsOnTheLinuxTransportWhichKnowsNothingOfIt() {
        noClasses().that().resideInAPackage(API + ".transport.linux")
                .should().dependOnClassesThat().resideInAPackage(API + ".transport.linux.uring..")
                .because("io_uring reuses the Linux FFM helpers and sockets; the dependency runs one way")
                .check(classes);
        noClasses().that().resideOutsideOfPackages(API + ".channel", API + ".transport.linux.uring..")
                .should().dependOnClassesThat().resideInAPackage(API + ".transport.linux.uring..")
                .because("only the composition root names the io_uring transport")
                .check(classes);
    }

    @Test
    void jfrEventsDependOnNoOtherSalvoPackage() {
        noClasses().that().resideInAPackage(API + ".channel.events")
                .should().dependOnClassesThat().resideInAnyPackage(API, API + ".channel", API + ".loop..",
                        API + ".write..", API + ".read..", API + ".transport..")
                .because("the event classes are plain jdk.jfr records of what the channel layer saw; only it emits them")
                .check(classes);
    }

    @Test
    void eventLoopsKnowNoChannelImplementation() {
        noClasses().that().resideInAPackage(API + ".loop")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".channel..", API + ".write..",
                        API + ".read..")
                .check(classes);
    }
}
