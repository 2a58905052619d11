package io.chronofabric.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's layering, as rules. From the bottom up:
 * <pre>
 *   api                   the vocabulary applications use: messages, handlers, publisher, stats, exceptions
 *   config                the settings, their catalog and the profiles          (uses api)
 *   internal.*            clock, event, sequencing, pipeline, layout, retention, observability   (use api, config)
 *   internal              the running engine: wiring, start, recovery           (uses everything below it)
 *   io.chronofabric.engine  the front an application starts                     (uses internal)
 * </pre>
 * Every package is a slice of its own (the root package included), and no slices form a cycle.
 */
class LayeringTest
{
    private static final JavaClasses ENGINE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.chronofabric.engine");

    @Test
    void noPackagesFormACycle()
    {
        // "(**)" captures the whole package name: each package, the root one included, is a slice of its own
        slices().matching("io.chronofabric.(**)").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void theApiDependsOnNoOtherEnginePackage()
    {
        noClasses().that().resideInAPackage("io.chronofabric.engine.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chronofabric.engine", "io.chronofabric.engine.config..",
                "io.chronofabric.engine.internal..")
            .check(ENGINE);
    }

    @Test
    void theConfigurationDependsOnlyOnTheApi()
    {
        noClasses().that().resideInAPackage("io.chronofabric.engine.config..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chronofabric.engine", "io.chronofabric.engine.internal..")
            .check(ENGINE);
    }

    @Test
    void internalsNeverUseTheFront()
    {
        noClasses().that().resideInAPackage("io.chronofabric.engine.internal..")
            .should().dependOnClassesThat().resideInAPackage("io.chronofabric.engine")
            .check(ENGINE);
    }

    @Test
    void stagePackagesDoNotReachUpToTheRunningEngine()
    {
        noClasses().that().resideInAPackage("io.chronofabric.engine.internal.*..")
            .should().dependOnClassesThat().resideInAPackage("io.chronofabric.engine.internal")
            .check(ENGINE);
    }

    @Test
    void theFrontIsOnlyTheFacade()
    {
        classes().that().resideInAPackage("io.chronofabric.engine").and().areTopLevelClasses()
            .should().haveSimpleName("ChronoFabric")
            .check(ENGINE);
    }

    @Test
    void noApiMethodTakesOrReturnsAnInternalType()
    {
        methods().that().arePublic()
            .and().areDeclaredInClassesThat().resideInAnyPackage("io.chronofabric.engine", "io.chronofabric.engine.api..",
                "io.chronofabric.engine.config..")
            .should(new ArchCondition<>("take and return only API types")
            {
                @Override
                public void check(final JavaMethod method, final ConditionEvents events)
                {
                    final boolean internalReturn = method.getRawReturnType().getPackageName().contains(".internal");
                    final boolean internalParameter = method.getRawParameterTypes().stream()
                        .anyMatch(type -> type.getPackageName().contains(".internal"));
                    if (internalReturn || internalParameter)
                    {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName() +
                            " exposes an internal type"));
                    }
                }
            })
            .check(ENGINE);
    }
}
