package org.o1pruner.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of STYLE.md, checked over every production class of the project
 * (the launcher depends on every module, so its test class path sees them all).
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.o1pruner");
    }

    @Test
    void schemaIsPureJdk() {
        classes().that().resideInAPackage("org.o1pruner.schema..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.o1pruner.schema..")
                .because("records on the wire are read by every service and by tools; keep them free of "
                        + "frameworks — move framework code (Kafka serdes, JSON mapping) into runtime or launcher")
                .check(classes);
    }

    @Test
    void gradingAndRewardMathArePure() {
        classes().that().resideInAPackage("org.o1pruner.grading..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.o1pruner.schema..", "org.o1pruner.grading..")
                .because("grading, reward and AES math must stay pure (no I/O, no frameworks) so they are unit- and "
                        + "property-testable; do I/O in the service that calls them")
                .check(classes);
    }

    @Test
    void librariesNeverDependOnServicesOrLauncher() {
        noClasses().that().resideInAnyPackage("org.o1pruner.schema..", "org.o1pruner.grading..",
                        "org.o1pruner.runtime..", "org.o1pruner.model..", "org.o1pruner.testing..")
                .should().dependOnClassesThat().resideInAnyPackage("org.o1pruner.reward..",
                        "org.o1pruner.sampler..", "org.o1pruner.trainer..", "org.o1pruner.eval..",
                        "org.o1pruner.launcher..", "org.o1pruner.toyworld..")
                .because("libs are shared by every service; move the shared piece down into a lib instead")
                .check(classes);
    }

    @Test
    void servicesDoNotDependOnEachOther() {
        String[][] pairs = {
            {"org.o1pruner.reward..", "org.o1pruner.sampler..", "org.o1pruner.trainer..", "org.o1pruner.eval.."},
            {"org.o1pruner.sampler..", "org.o1pruner.reward..", "org.o1pruner.trainer..", "org.o1pruner.eval.."},
            {"org.o1pruner.trainer..", "org.o1pruner.reward..", "org.o1pruner.sampler..", "org.o1pruner.eval.."},
            {"org.o1pruner.eval..", "org.o1pruner.reward..", "org.o1pruner.sampler..", "org.o1pruner.trainer.."},
        };
        for (String[] p : pairs) {
            noClasses().that().resideInAPackage(p[0])
                    .should().dependOnClassesThat().resideInAnyPackage(p[1], p[2], p[3])
                    .because("services talk only through Kafka topics and the checkpoint store; share code via libs")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void onlyTheLauncherExits() {
        noClasses().that().resideOutsideOfPackage("org.o1pruner.launcher..")
                .should().callMethod(System.class, "exit", int.class)
                .because("System.exit belongs in main only; throw a typed exception and let the launcher decide")
                .check(classes);
    }

    @Test
    void onlyConfigCodeReadsTheEnvironment() {
        noClasses().that().resideOutsideOfPackages("org.o1pruner.launcher..", "org.o1pruner.runtime..",
                        "org.o1pruner.testing..")
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("configuration is parsed once by a service's ConfigRegistry; add a ConfigKey instead of "
                        + "reading the environment")
                .check(classes);
    }
}
