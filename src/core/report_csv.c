/*
 * report_csv: `mamori --report --format csv` (see report_write.h), for a
 * spreadsheet: RFC 4180 (fields with a comma, quote or line end quoted,
 * quotes doubled; CRLF after every record), a header row, then one row per
 * item of the content in content order.  UTF-8 with a BOM, which Excel on
 * Windows needs to see UTF-8, or CP932 (Windows Shift_JIS, no BOM) for
 * older Excel: what CP932 lacks becomes "?".
 *
 * Columns: グループ (the group's title), 項目ID, No. (a 自社診断 question's
 * number, else empty), 内容, 状態 (Japanese), 点数 (an answered question's
 * points: 4, 2, 0, -1; else empty), 担当, 期限, メモ, 最終更新 (ISO 8601).
 * A merged session (see merge.h) has one more column per department after
 * those, headed by the department's name, with its answer (状態's words).
 * A text cell that starts with = + - @ (a formula to a spreadsheet) gets a
 * leading ' so a note typed by a user is never run.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/report_model.h"
#include "core/report_write.h"
#include "core/util.h"

static void report_csv_field(struct buf *b, const char *s, int text)
{
	if (text && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		buf_addc(b, '\'');
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* The CSV in UTF-8, without a BOM. */
static void report_csv_build(struct buf *b, const struct report_model *m)
{
	buf_adds(b, "グループ,項目ID,No.,内容,状態,点数,担当,期限,メモ,最終更新");
	for (size_t d = 0; m->ndept_rows && d < m->ndepartments; d++) {
		buf_addc(b, ',');
		report_csv_field(b, m->departments[d], 1);
	}
	buf_adds(b, "\r\n");
	for (size_t i = 0; i < m->nitems; i++) {
		const struct report_item *it = &m->items[i];
		report_csv_field(b, m->groups[it->group].title, 1);
		buf_addc(b, ',');
		report_csv_field(b, it->id, 1);
		buf_addc(b, ',');
		if (it->number)
			buf_printf(b, "%d", it->number);
		buf_addc(b, ',');
		report_csv_field(b, it->text, 1);
		buf_addc(b, ',');
		report_csv_field(b, it->state_name, 1);
		buf_addc(b, ',');
		if (it->has_points)
			buf_printf(b, "%d", it->points);
		buf_addc(b, ',');
		report_csv_field(b, it->owner, 1);
		buf_addc(b, ',');
		report_csv_field(b, it->due, 1);
		buf_addc(b, ',');
		report_csv_field(b, it->note, 1);
		buf_addc(b, ',');
		report_csv_field(b, it->time, 1);
		/* dept_rows follow the items one for one (report_model_set_merge checks it). */
		for (size_t d = 0; i < m->ndept_rows && d < m->ndepartments; d++) {
			buf_addc(b, ',');
			report_csv_field(b,
			                 report_model_state_name(m->dept_rows[i].states[d], it->question),
			                 1);
		}
		buf_adds(b, "\r\n");
	}
}

/* in (UTF-8) as CP932 into out; a character CP932 lacks becomes "?".  Returns 0 or -errno. */
static int report_csv_cp932(const char *in, size_t len, struct buf *out)
{
	iconv_t cd = iconv_open("CP932", "UTF-8");
	char chunk[4096];

	if (cd == (iconv_t)-1)
		return -errno;
	char *ip = (char *)in;
	size_t il = len;
	while (il > 0) {
		char *op = chunk;
		size_t ol = sizeof chunk;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		buf_add(out, chunk, (size_t)(op - chunk));
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL: skip one UTF-8 character (lead byte and continuation bytes). */
		buf_addc(out, '?');
		ip++;
		il--;
		while (il > 0 && ((unsigned char)*ip & 0xC0) == 0x80) {
			ip++;
			il--;
		}
	}
	iconv_close(cd);
	return 0;
}

int report_write_csv(FILE *out, const struct report_model *m, int cp932)
{
	struct buf b = { 0 }, conv = { 0 };
	int r = 0;

	report_csv_build(&b, m);
	errno = 0;
	if (cp932) {
		r = report_csv_cp932(b.s, b.len, &conv);
		if (r == 0)
			fwrite(conv.s, 1, conv.len, out);
	} else {
		fputs("\xEF\xBB\xBF", out);
		fwrite(b.s, 1, b.len, out);
	}
	buf_free(&b);
	buf_free(&conv);
	if (r < 0)
		return r;
	if (fflush(out) == EOF || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
