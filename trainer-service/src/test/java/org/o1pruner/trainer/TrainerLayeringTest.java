package org.o1pruner.trainer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The trainer's own layering: a pure core, losses over the engine only. */
class TrainerLayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.o1pruner.trainer");

    @Test
    void coreIsPure() {
        classes().that().resideInAPackage("org.o1pruner.trainer.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.o1pruner.schema..",
                        "org.o1pruner.trainer.core..")
                .because("selection, advantages, offsets and batching are decisions, unit- and property-tested "
                        + "without I/O; move Kafka, DJL or file code into the service shell or the loss package")
                .check(CLASSES);
    }

    @Test
    void lossesUseOnlyTheEngineAndTheCore() {
        classes().that().resideInAPackage("org.o1pruner.trainer.loss..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "ai.djl..",
                        "org.o1pruner.model..", "org.o1pruner.trainer.core..", "org.o1pruner.trainer.loss..")
                .because("losses are tensor math over the engine; Kafka and checkpoints belong to the service")
                .check(CLASSES);
    }
}
