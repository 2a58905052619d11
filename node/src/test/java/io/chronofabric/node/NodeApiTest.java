package io.chronofabric.node;

import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The node module's API is its front ({@link Node}), its configuration and what it reports; the conductor, shipper,
 * wire format, lock and drills stay package-private, so they can change without breaking an embedder.
 */
class NodeApiTest
{
    @Test
    void onlyTheFrontTheConfigurationTheReportsAndTheInUseRefusalArePublic()
    {
        final Set<String> publicClasses = new TreeSet<>();
        for (final JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chronofabric.node"))
        {
            if (type.getModifiers().contains(JavaModifier.PUBLIC) && !type.isNestedClass())
            {
                publicClasses.add(type.getSimpleName());
            }
        }
        assertEquals(new TreeSet<>(Set.of("Endpoint", "JournalOfAnotherNodeException", "ListenPortInUseException",
            "Node", "NodeConfiguration", "NodeInUseException", "NodeReservation", "NodeStoppedException",
            "PeerRefusedException", "PeerState", "PeerStatus")),
            publicClasses);
    }
}
