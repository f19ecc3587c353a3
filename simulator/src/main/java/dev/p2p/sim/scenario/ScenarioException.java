package dev.p2p.sim.scenario;

/** A scenario that cannot run, with the field at fault: its message is one line for the user. */
public final class ScenarioException extends Exception {
    private final String field;

    public ScenarioException(String field, String problem) {
        super(field.isEmpty() ? problem : "scenario field '" + field + "': " + problem);
        this.field = field;
    }

    /** The dotted path of the field, e.g. {@code churn.session.median}; empty for the file as a whole. */
    public String field() {
        return field;
    }
}
