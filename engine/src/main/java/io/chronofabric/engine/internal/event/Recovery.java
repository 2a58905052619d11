package io.chronofabric.engine.internal.event;

/**
 * What recovery knew of a message it read back from the journal at start. Settled messages pass through the
 * pipeline only so that the sequencer and delivery learn, in id order, what their dependents need to know; they are
 * handed to no subscriber and dead-lettered nowhere.
 */
public enum Recovery
{
    /** Published by this engine, or fed by a replay: delivered as usual. */
    NONE,
    /** Journaled but not settled for some subscriber before the restart: delivered again, to those subscribers. */
    UNSETTLED,
    /** Delivered to at least one subscriber and settled for all before the restart. */
    SETTLED,
    /** Delivered to no subscriber before the restart (dead-lettered whole or for each): its dependents are dead. */
    SETTLED_DEAD
}
