package org.o1pruner.eval;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The eval service's layering: pure AES math and eval core, services independent of each other. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.o1pruner.eval", "org.o1pruner.grading.aes");

    @Test
    void aesMathIsPureJdk() {
        classes().that().resideInAPackage("org.o1pruner.grading.aes..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.o1pruner.grading.aes..")
                .because("AES is arithmetic shared by services and tools; move any I/O or framework code out of it")
                .check(CLASSES);
    }

    @Test
    void evalCoreIsPure() {
        classes().that().resideInAPackage("org.o1pruner.eval.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.o1pruner.eval.core..",
                        "org.o1pruner.grading.aes..", "org.o1pruner.schema..")
                .because("decisions (AES, promotion, data-set split) must be unit-testable without Kafka or a model; "
                        + "put I/O in org.o1pruner.eval and pass plain values in")
                .check(CLASSES);
    }

    @Test
    void evalDependsOnNoOtherService() {
        noClasses().that().resideInAPackage("org.o1pruner.eval..")
                .should().dependOnClassesThat().resideInAnyPackage("org.o1pruner.sampler..", "org.o1pruner.trainer..",
                        "org.o1pruner.reward..", "org.o1pruner.launcher..")
                .because("services talk only through Kafka topics and the checkpoint store; share code through libs/")
                .check(CLASSES);
    }
}
