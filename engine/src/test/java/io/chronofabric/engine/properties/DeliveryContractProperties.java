package io.chronofabric.engine.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Black-box properties of the delivery contract, each checked on random scenarios run against a real engine (a
 * Chronicle journal in a temporary folder): 2 or 3 publishing threads, 200 to 2000 messages of four types (three with
 * one to three subscribers, one with none), random priorities, tight and loose deadlines, random dependencies on ids
 * any publisher already got back (chains and diamonds), guaranteed subscribers that fail some messages transiently
 * or for good, plain subscribers that sometimes throw, under both deadline policies. The engine is closed (which
 * drains it) before anything is checked; {@link ContractModel} says what the outcome must be.
 *
 * <p>Timing decides which tight deadlines and retry timeouts are missed; no property depends on that, only on the
 * outcome being consistent with whatever happened. Shrinking is off: a run is not a pure function of its scenario
 * (thread interleaving, timing), and each try takes a fresh engine; the failure message names the scenario, the
 * run's counters and the offending messages, and jqwik prints the seed.
 */
class DeliveryContractProperties
{
    private static final int TRIES = 20;

    @Provide
    Arbitrary<Scenario> scenarios()
    {
        return Scenario.scenarios();
    }

    /** Clause 1: delivered exactly once, dead-lettered once for that subscriber, or once as a whole; never two. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyPairIsDeliveredOrDeadLetteredExactlyOnce(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "every (message, subscriber) pair ends exactly once", ContractModel::exactlyOnceViolations);
    }

    /** Clause 2. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void guaranteedHandlersAreInvokedAtMostMaxAttemptsTimes(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "a guaranteed handler is invoked at most maxAttempts times (exactly, when exhausted)",
            ContractModel::attemptViolations);
    }

    /** Clause 3. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void noDependentIsHandedOverBeforeItsDependenciesSettle(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "a message is handed over only after each dependency settled for all its subscribers " +
            "and was delivered to one", ContractModel::causalityViolations);
    }

    /** Clause 4. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void dependentsOfADeadDependencyAreDeadLetteredTransitively(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "dependents of a message delivered to none are dead-lettered DEPENDENCY_DEAD_LETTERED " +
            "as a whole, transitively, and only they", ContractModel::deadDependencyViolations);
    }

    /** Clause 5. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void onlyTheExpirePolicyExpiresAndOnlyMessagesWithADeadline(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "EXPIRED only under EXPIRE and only for messages with a deadline",
            ContractModel::expiryViolations);
    }

    /** Clauses 6 and 7. */
    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void closeLeavesNothingInFlightAndNoCausalityViolationIsCounted(@ForAll("scenarios") final Scenario scenario)
    {
        check(scenario, "after close() nothing is in flight, every message is accounted for, and the engine " +
            "counts no causality violation", model ->
        {
            final List<String> violations = new ArrayList<>(model.drainViolations());
            violations.addAll(model.countedCausalityViolations());
            return violations;
        });
    }

    private static void check(final Scenario scenario, final String clause,
        final Function<ContractModel, List<String>> violationsOf)
    {
        final ContractModel model = new ContractModel(ScenarioRun.run(scenario));
        Statistics.label("policy").collect(scenario.policy());
        Statistics.label("messages delivered to none for their own sake")
            .collect(bucket(model.deadForTheirOwnSake()));
        Statistics.label("dependents the model says must be dead-lettered")
            .collect(bucket(model.dependentsOfDeadMessages()));
        final List<String> violations = violationsOf.apply(model);
        assertTrue(violations.isEmpty(), () -> model.report(clause, violations));
    }

    private static String bucket(final long count)
    {
        return 0 == count ? "0" : count < 10 ? "1-9" : count < 100 ? "10-99" : "100+";
    }
}
