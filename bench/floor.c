/*
 * floor: the least an ncursesw pager can do, to measure mamori against
 * (bench/run.py; built by `make bench` only).  It starts the terminal as
 * mamori does (setlocale, newterm, cbreak, noecho, nonl, keypad, no
 * cursor), reads a UTF-8 text file, paints the first screen, and pages
 * with full redraws (erase, one addnwstr per line, refresh): Space and
 * 'f' forward, 'b' back, 'q' quits.  The last row is a status line with
 * the first line shown and a percentage, so each turn changes it.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int main(int argc, char **argv)
{
	static char text[1 << 24];
	static const char *line[1 << 18];
	static wchar_t wide[4096];
	size_t len = 0, n = 0;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	len = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	/* Lines found with memchr, converted only when shown: nothing per character at start. */
	for (char *s = text; s < text + len && n < sizeof line / sizeof line[0];) {
		char *nl = memchr(s, '\n', (size_t)(text + len - s));
		line[n++] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	setlocale(LC_ALL, "");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return 2;
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	size_t top = 0;
	for (;;) {
		size_t h = LINES > 1 ? (size_t)LINES - 1 : 1;
		erase();
		for (size_t y = 0; y < h && top + y < n; y++) {
			size_t w = mbstowcs(wide, line[top + y], sizeof wide / sizeof wide[0] - 1);
			if (w != (size_t)-1)
				mvaddnwstr((int)y, 0, wide, (int)w);
		}
		size_t last = top + h < n ? top + h : n;
		mvprintw((int)h, 0, "floor %zu/%zu %3d%%", top + 1, n, n ? (int)(last * 100 / n) : 100);
		refresh();
		int c = getch();
		if (c == 'q' || c == ERR)
			break;
		if ((c == ' ' || c == 'f') && top + h < n)
			top += h;
		else if (c == 'b')
			top = top > h ? top - h : 0;
	}
	endwin();
	delscreen(scr);
	return 0;
}
