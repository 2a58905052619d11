package io.chronofabric.affinity;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The affinity module's packages form no cycle: "(**)" makes each package, the root one included, a slice of its own. */
class PackageCyclesTest
{
    @Test
    void noPackagesFormACycle()
    {
        slices().matching("io.chronofabric.(**)").should().beFreeOfCycles()
            .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.chronofabric.affinity"));
    }
}
