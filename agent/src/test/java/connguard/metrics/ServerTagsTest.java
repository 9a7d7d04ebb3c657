package connguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTagsTest {
  @Test
  void partsTheUrlDoesNotSayAreUnknown() {
    ServerTags h2 = ServerTags.of("h2", "127.0.0.1", "", null);
    assertEquals("h2", h2.value(ServerTags.SYSTEM));
    assertNull(h2.value(ServerTags.PORT));
    assertEquals("unknown", h2.tagValue(ServerTags.PORT));
    assertEquals("db.system=h2 server.address=127.0.0.1 server.port=unknown db.namespace=unknown", h2.toString());
    assertSame(ServerTags.UNKNOWN, ServerTags.of(null, "", null, ""));
  }

  @Test
  void theSameServerIsOneInstance() {
    Servers servers = new Servers();
    ServerTags first = servers.intern(ServerTags.of("postgresql", "db1", "5432", "app"));
    ServerTags again = ServerTags.of("postgresql", "db1", "5432", "app");
    assertNotSame(first, again);
    assertSame(first, servers.intern(again));
    assertEquals(1, servers.all().size());
  }

  @Test
  void pastTheLimitServersShareUnknownAndAListenerHearsEachOnce() {
    Servers servers = new Servers();
    final StringBuilder heard = new StringBuilder();
    servers.intern(ServerTags.of("postgresql", "db0", "5432", "app"));
    servers.listen(new Servers.Listener() {
      @Override public void added(ServerTags server) {
        heard.append(server.value(ServerTags.ADDRESS)).append(' ');
      }
    });
    for (int i = 1; i < Servers.MAX + 10; i++) {
      servers.intern(ServerTags.of("postgresql", "db" + i, "5432", "app"));
    }
    assertSame(ServerTags.UNKNOWN, servers.intern(ServerTags.of("postgresql", "db" + (Servers.MAX + 50), "5432", "app")));
    List<ServerTags> all = servers.all();
    assertEquals(Servers.MAX + 1, all.size(), "the first MAX servers and one unknown");
    assertSame(ServerTags.UNKNOWN, all.get(Servers.MAX));
    assertEquals(Servers.MAX + 1, heard.toString().split(" ").length, heard.toString());
    assertEquals("db0 db1 ", heard.substring(0, 8), "those seen before it listened first");
  }
}
