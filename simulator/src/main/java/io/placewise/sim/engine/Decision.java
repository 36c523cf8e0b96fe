package io.placewise.sim.engine;

import java.util.List;
import java.util.Set;

/**
 * What a policy decided at one interval: migrations to start, in order, and hosts to switch off (freed) or on
 * (woken) for placement.
 */
public record Decision(List<Move> moves, Set<String> switchOff, Set<String> switchOn) {
    public static final Decision NONE = new Decision(List.of(), Set.of(), Set.of());

    public Decision {
        moves = List.copyOf(moves);
        switchOff = Set.copyOf(switchOff);
        switchOn = Set.copyOf(switchOn);
    }

    public static Decision of(List<Move> moves) {
        return new Decision(moves, Set.of(), Set.of());
    }

    /** Move VM {@code vm} to host {@code destination}. */
    public record Move(String vm, String destination) {
    }
}
