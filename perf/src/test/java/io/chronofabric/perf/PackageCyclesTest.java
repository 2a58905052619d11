package io.chronofabric.perf;

import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.Slice;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.Slices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perf module's packages form a DAG: the harness on top ({@code io.chronofabric.perf}), the report writers and
 * the systems under it, the run's model under the report, the systems' contract ({@code spi}) at the bottom.
 */
class PackageCyclesTest
{
    private static final String ROOT = "io.chronofabric.perf";

    /**
     * Each class in the slice of its exact package: unlike {@code matching("io.chronofabric.(perf)..")}, which puts
     * the root package and every sub-package in one slice, this makes the root package a slice of its own.
     */
    private static final SliceAssignment EXACT_PACKAGE = new SliceAssignment()
    {
        @Override
        public SliceIdentifier getIdentifierOf(final JavaClass javaClass)
        {
            final String name = javaClass.getPackageName();
            return name.equals(ROOT) || name.startsWith(ROOT + ".") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription()
        {
            return "every package of " + ROOT + ", the root package included, as its own slice";
        }
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses()
    {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    }

    @Test
    void shouldHaveNoCycleBetweenSubPackages()
    {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldHaveNoCycleBetweenAnyTwoPackagesTheRootPackageIncluded()
    {
        slices().assignedFrom(EXACT_PACKAGE).should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldCountTheRootPackageAsASlice()
    {
        final Set<String> slices = Slices.assignedFrom(EXACT_PACKAGE).transform(classes).stream()
            .map(Slice::getDescription).collect(Collectors.toSet());
        for (final String expected : new String[] {ROOT, ROOT + ".report", ROOT + ".systems", ROOT + ".model",
            ROOT + ".spi", ROOT + ".jmh"})
        {
            assertTrue(slices.contains("Slice " + expected), expected + " in " + slices);
        }
        final Slice root = Slices.assignedFrom(EXACT_PACKAGE).transform(classes).stream()
            .filter(slice -> ("Slice " + ROOT).equals(slice.getDescription())).findFirst().orElseThrow();
        assertTrue(root.contains(classes.get(PerfCommand.class)), "the command is in the root slice");
        assertTrue(root.contains(classes.get(TrialRunner.class)), "the trial runner is in the root slice");
    }
}
