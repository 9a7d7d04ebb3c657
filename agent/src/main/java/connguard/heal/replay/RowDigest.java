package connguard.heal.replay;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.util.Arrays;

/**
 * What the app saw of one result set: how many rows it advanced over, a 64-bit hash of every
 * value in them, and whether it reached the end. A replay reads the same number of rows from the
 * fresh result set and must arrive at the same digest. FNV-1a over a typed text form of each value:
 * not cryptographic, but a changed row going unnoticed needs a 1 in 2^64 accident.
 */
final class RowDigest {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private int rows;
  private long hash = FNV_OFFSET;
  private boolean sawEnd;
  private int columns = -1;

  int rows() {
    return rows;
  }

  boolean sawEnd() {
    return sawEnd;
  }

  /** next() returned false: the app knows there is nothing more. */
  void end() {
    sawEnd = true;
  }

  /** The row the cursor is on, read with getObject for every column. */
  void addRow(ResultSet rs) throws SQLException {
    if (columns < 0) {
      columns = rs.getMetaData().getColumnCount();
    }
    addRow(valuesOf(rs, columns));
  }

  static Object[] valuesOf(ResultSet rs, int columns) throws SQLException {
    Object[] values = new Object[columns];
    for (int i = 0; i < columns; i++) {
      values[i] = rs.getObject(i + 1);
    }
    return values;
  }

  static Object[] valuesOf(ResultSet rs) throws SQLException {
    return valuesOf(rs, rs.getMetaData().getColumnCount());
  }

  /** One row on its own, to compare a row of the first run with the same row of a replay. */
  static long hashOf(Object[] values) throws SQLException {
    RowDigest row = new RowDigest();
    row.addRow(values);
    return row.hash;
  }

  void addRow(Object[] values) throws SQLException {
    long h = hash;
    h = mix(h, "row" + values.length);
    for (Object value : values) {
      h = mix(h, textOf(value));
    }
    hash = h;
    rows++;
  }

  /**
   * Reads from {@code fresh} what the app read the first time: as many rows, and one more next()
   * if the app saw the end. Null when identical; else what differs, for the log line.
   */
  String verify(ResultSet fresh) throws SQLException {
    RowDigest again = new RowDigest();
    for (int i = 0; i < rows; i++) {
      if (!fresh.next()) {
        again.end();
        break;
      }
      again.addRow(fresh);
    }
    String difference = differenceFrom(again);
    if (difference == null && sawEnd && fresh.next()) {
      return "it read all " + rows + " rows the first time; now there are more";
    }
    return difference;
  }

  /** Null when {@code again} saw what this saw. */
  String differenceFrom(RowDigest again) {
    if (again.rows != rows) {
      return "it read " + rows + " rows the first time; now there are only " + again.rows;
    }
    if (again.hash != hash) {
      return "a row it read has changed since (" + rows + " rows compared)";
    }
    return null;
  }

  static long mix(long h, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    return (h ^ 0x1f) * FNV_PRIME;       // a separator: ("ab","c") and ("a","bc") differ
  }

  /** A typed text form: 1 (Integer) and 1 (Long) or "1" differ, SQL NULL differs from "null". */
  static String textOf(Object value) throws SQLException {
    if (value == null) {
      return "\u0000NULL";
    }
    String type = value.getClass().getName() + ':';
    if (value instanceof byte[]) {
      return type + Arrays.toString((byte[]) value);
    }
    if (value instanceof Object[]) {
      return type + Arrays.deepToString((Object[]) value);
    }
    if (value instanceof Array) {
      Object elements = ((Array) value).getArray();
      return type + (elements instanceof Object[] ? Arrays.deepToString((Object[]) elements) : String.valueOf(elements));
    }
    if (value instanceof Blob) {
      Blob blob = (Blob) value;
      return type + Arrays.toString(blob.getBytes(1, (int) Math.min(Integer.MAX_VALUE, blob.length())));
    }
    if (value instanceof Clob) {
      Clob clob = (Clob) value;
      return type + clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
    }
    if (value instanceof SQLXML) {
      return type + ((SQLXML) value).getString();
    }
    return type + value;
  }
}
