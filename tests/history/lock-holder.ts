// A child process for the spool tests: another program holding the history database locked. It takes the
// write lock (BEGIN EXCLUSIVE), prints "locked", and commits and exits when a line arrives on its stdin.
import Database from 'better-sqlite3';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: lock-holder.ts <history.db>');
const db = new Database(path);
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\n');
process.stdin.once('data', () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
});
