package dev.salvo.read;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The read layer sits below the transports: they depend on it, it depends only on the API. */
class ReadLayerDependencyTest {

    @Test
    void theReadPackageDependsOnlyOnTheApiAndTheJdk() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.salvo");
        noClasses().that().resideInAPackage("dev.salvo.read..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.salvo.transport..", "dev.salvo.write..", "dev.salvo.loop..", "dev.salvo.channel..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.salvo.read..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(classes);
    }
}
