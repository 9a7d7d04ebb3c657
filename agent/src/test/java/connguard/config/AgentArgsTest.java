package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentArgsTest {

  /** Pairs are shown as [name]=[value] joined by " ; " so the table can show commas and spaces. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "maxRetries=3|[maxRetries]=[3]",
      "maxRetries=3,logLevel=debug|[maxRetries]=[3] ; [logLevel]=[debug]",
      "maxRetries=3, logLevel=debug|[maxRetries]=[3] ; [logLevel]=[debug]",
      "idempotentSql=a{1,3}|[idempotentSql]=[a{1,3}]",
      "idempotentSql=^insert into t(a{1,3}),maxRetries=3|[idempotentSql]=[^insert into t(a{1,3})] ; [maxRetries]=[3]",
      "maxRetries=3,idempotentSql=(?i)^insert into (a,b) values|[maxRetries]=[3] ; [idempotentSql]=[(?i)^insert into (a,b) values]",
      "idempotentSql=x(,b)=c|[idempotentSql]=[x(,b)=c]",
      "config=/etc/connguard.properties|[config]=[/etc/connguard.properties]",
      "connguard.maxRetries=3|[connguard.maxRetries]=[3]",
      "a=b=c|[a]=[b=c]",
      "maxRetries=|[maxRetries]=[]",
      ",maxRetries=1|[maxRetries]=[1]",
      "maxRetries=2,|[maxRetries]=[2,]",
  })
  void splitsOnlyAtCommasBeforeAName(String agentArgs, String expected) {
    List<String> problems = new ArrayList<>();
    assertEquals(expected, show(AgentArgs.parse(agentArgs, problems)));
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void aValueContainingCommaNameEqualsIsCutThereAsDocumented() {
    // The documented limitation: such a value belongs in the config file.
    assertEquals("[idempotentSql]=[insert into t(a] ; [b]=[1)]",
        show(AgentArgs.parse("idempotentSql=insert into t(a,b=1)", new ArrayList<String>())));
  }

  @Test
  void nothingGivenIsNoPairs() {
    List<String> problems = new ArrayList<>();
    assertEquals("", show(AgentArgs.parse(null, problems)));
    assertEquals("", show(AgentArgs.parse("", problems)));
    assertEquals("", show(AgentArgs.parse("  ", problems)));
    assertEquals(0, problems.size());
  }

  @Test
  void tokenWithoutEqualsGivesOneLineAndTheRestStillCounts() {
    List<String> problems = new ArrayList<>();
    assertEquals("[maxRetries]=[1]", show(AgentArgs.parse("verbose,maxRetries=1", problems)));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("connguard: agent argument \"verbose\" ignored; use key=value"),
        problems.get(0));
  }

  private static String show(List<Map.Entry<String, String>> pairs) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> pair : pairs) {
      text.append(text.length() == 0 ? "" : " ; ")
          .append('[').append(pair.getKey()).append("]=[").append(pair.getValue()).append(']');
    }
    return text.toString();
  }
}
