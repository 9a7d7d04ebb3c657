package connguard.bench.floor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The floor arms measure something only if the woven code crosses into the bridge as often as it
 * does under connguard: a connection and its statements get state, every call but a close is
 * entered with it. Driven through {@link Hooks}, as the woven code calls it.
 */
class FloorDispatcherTest {
  private static final String PREPARE = "prepareStatement(Ljava/lang/String;)Ljava/sql/PreparedStatement;";
  private static final String CREATE = "createStatement()Ljava/sql/Statement;";

  /** Stands in for a class woven at definition: the field the weaver adds. */
  static final class Woven implements Guarded {
    private Object state;

    @Override public Object connguard$state() {
      return state;
    }

    @Override public void connguard$state(Object state) {
      this.state = state;
    }
  }

  @AfterEach
  void uninstall() {
    Hooks.install(null);
  }

  @Test
  void crossingsGiveTheConnectionAndItsStatementsOneSharedMark() {
    FloorDispatcher.install("CROSSINGS");
    Woven connection = connect();
    Woven prepared = make(connection, PREPARE);
    Woven created = make(connection, CREATE);

    assertSame(connection.connguard$state(), prepared.connguard$state());
    assertSame(connection.connguard$state(), created.connguard$state());
  }

  @Test
  void stateGivesEachStatementAnObjectOfItsOwn() {
    FloorDispatcher.install("STATE");
    Woven connection = connect();
    Woven first = make(connection, PREPARE);
    Woven second = make(connection, PREPARE);

    assertNotNull(first.connguard$state());
    assertNotSame(connection.connguard$state(), first.connguard$state());
    assertNotSame(first.connguard$state(), second.connguard$state());
  }

  @Test
  void everyCallButACloseIsEnteredWithItsState() {
    FloorDispatcher.install("STATE");
    Woven statement = make(connect(), PREPARE);
    Object state = statement.connguard$state();

    assertSame(state, Hooks.enterWithState(state, MethodKind.STMT_EXECUTE));
    assertSame(state, Hooks.enterWithState(state, MethodKind.STMT_PARAM));
    assertNull(Hooks.enterWithState(state, MethodKind.STMT_CLOSE));
    assertNull(Hooks.enterWithState(state, MethodKind.CONN_CLOSE));
  }

  @Test
  void aConnectionItDidNotMarkIsNotMarked() {
    FloorDispatcher.install("CROSSINGS");
    assertFalse(FloorDispatcher.isMarked(new Woven()), "never connected");
    assertFalse(FloorDispatcher.isMarked(new Object()), "not woven");
    assertTrue(FloorDispatcher.isMarked(connect()));
  }

  private static Woven connect() {
    Woven connection = new Woven();
    Hooks.connected(connection, null, null, null);
    return connection;
  }

  /** A factory call on {@code connection} as the woven wrapper reports it: entered, then succeeded. */
  private static Woven make(Woven connection, String method) {
    Object state = connection.connguard$state();
    int kind = MethodKind.CONN_FACTORY;
    Object token = Hooks.enterWithState(state, kind);
    Woven statement = new Woven();
    Hooks.succeededWithState(state, kind, method, token, null, "SELECT ?", statement);
    return statement;
  }
}
