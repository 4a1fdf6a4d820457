package org.o1pruner.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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
    void onlyMainMethodsExit() {
        classes().should(callSystemOnlyFromMain("exit"))
                .because("System.exit belongs in a main method only; throw a typed exception and let main decide")
                .check(classes);
    }

    @Test
    void onlyConfigCodeAndMainMethodsReadTheEnvironment() {
        classes().that().resideOutsideOfPackages("org.o1pruner.runtime..", "org.o1pruner.testing..",
                        "org.o1pruner.launcher..")
                .should(callSystemOnlyFromMain("getenv"))
                .because("configuration is parsed once by a service's ConfigRegistry, which main (or an "
                        + "o1p subcommand) hands the environment to; add a ConfigKey instead of reading the environment elsewhere")
                .check(classes);
    }

    /** Calls of {@code System.<method>} are allowed only in a {@code main} method (or a lambda inside one). */
    private static ArchCondition<JavaClass> callSystemOnlyFromMain(String method) {
        return new ArchCondition<>("call System." + method + " only from a main method") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                    String origin = call.getOrigin().getName();
                    boolean inMain = origin.equals("main") || origin.startsWith("lambda$main$");
                    if (call.getTargetOwner().isEquivalentTo(System.class) && call.getName().equals(method) && !inMain) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        };
    }
}
