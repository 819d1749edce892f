/*
 * ask: `mamori --ask GROUP|all`, the line mode for screen readers, braille
 * displays and scripts.  One question at a time as plain numbered lines on
 * stdout, one answer a line from stdin, each saved at once to the session
 * the reader would open, as the reader saves it (answers_set).  No curses
 * and no escape sequence ever: it works with TERM=dumb or unset, and
 * through pipes.  Text goes out in the locale's charset and typed notes
 * come in from it.  The answer words are in doc/mamori.1 (LINE MODE).
 */
#ifndef MAMORI_ASK_H
#define MAMORI_ASK_H

struct cli_options;

/*
 * Ask the questions of o->ask: "all", a group id (five-articles,
 * diagnosis-part1, principle-2, ...), or a name for every group of a kind:
 * diagnosis, principles, actions, articles, policy.  The session is the
 * one the reader would open (o->answers, o->pick).  Returns the exit
 * status: 0 when every line read was understood (q and the end of the
 * input end cleanly, what was answered is saved); 1 when the content, the
 * session or a save failed, or a line from a pipe was not understood (that
 * question is then skipped); 2 for a GROUP that names nothing.
 */
int ask_run(const struct cli_options *o);

#endif
