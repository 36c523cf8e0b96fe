package io.placewise.sim.engine;

/**
 * One live migration the replay carried out, timed by seed 003's pre-copy model.
 *
 * @param interval  the interval whose decision started it
 * @param durationS total migration time
 * @param dataMb    data sent over the link
 * @param downtimeS stop-and-copy downtime
 */
public record Migration(int interval, String vm, String source, String destination, double durationS, double dataMb,
                        double downtimeS) {
}
