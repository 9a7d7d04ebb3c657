package connguard.config;

/** The help table of the command line, written from the option table so it cannot disagree with it. */
final class Usage {
  private static final String[] HEADINGS = {"option", "default", "accepted", "meaning"};

  private Usage() {}

  static String text() {
    String[][] rows = new String[Option.ALL.size() + 1][];
    rows[0] = HEADINGS;
    for (int i = 0; i < Option.ALL.size(); i++) {
      Option<?> option = Option.ALL.get(i);
      rows[i + 1] = new String[] {option.key, option.defaultText(), option.kind.forms, option.meaning};
    }
    StringBuilder text = new StringBuilder()
        .append("Options: -javaagent:connguard.jar=key=value,key=value, -D").append(KeyNaming.PROPERTY_PREFIX)
        .append("key=value, ").append(KeyNaming.ENV_PREFIX).append("KEY=value, or key=value lines in the file")
        .append(" named by config=FILE.\n")
        .append("Precedence: ").append(Sources.PRECEDENCE).append(".\n\n");
    appendTable(text, rows);
    return text
        .append("\nIn agent args a comma starts a new option only before name=; put values that contain")
        .append(" \",name=\" in the config file.\n")
        .toString();
  }

  private static void appendTable(StringBuilder text, String[][] rows) {
    int[] widths = new int[HEADINGS.length];
    for (String[] row : rows) {
      for (int column = 0; column < row.length; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int column = 0; column < row.length; column++) {
        line.append(row[column]);
        if (column < row.length - 1) {
          line.append(spaces(widths[column] - row[column].length() + 2));
        }
      }
      text.append(line).append('\n');
    }
  }

  private static String spaces(int count) {
    StringBuilder spaces = new StringBuilder();
    for (int i = 0; i < count; i++) {
      spaces.append(' ');
    }
    return spaces.toString();
  }
}
