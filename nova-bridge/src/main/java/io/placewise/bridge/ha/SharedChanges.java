package io.placewise.bridge.ha;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells the other bridges on the same database what a transaction changed. Called inside the
 * transaction, so the others hear of it exactly when (and only if) it commits.
 */
public interface SharedChanges {
    /** One bridge alone (H2): nobody to tell. */
    SharedChanges NONE = (c, change) -> { };

    void announce(Connection c, SharedChange change) throws SQLException;
}
