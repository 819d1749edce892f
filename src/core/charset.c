/*
 * charset: output conversion to the locale's charset, and the output
 * streams of a non-interactive run (see charset.h).  Locale set-up is in
 * charset_locale.c, folds in charset_fold.c: everything here folds first,
 * then converts what is left with iconv.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/charset.h"
#include "core/text.h"
#include "core/util.h"

#define CHARSET_NO_CD ((iconv_t)-1)

/* The UTF-8 -> codeset converter, for the LC_CTYPE it was opened in. */
static struct {
	char *locale;
	iconv_t cd;
} charset_out = { NULL, CHARSET_NO_CD };

static void charset_out_close(void)
{
	if (charset_out.cd != CHARSET_NO_CD)
		iconv_close(charset_out.cd);
	charset_out.cd = CHARSET_NO_CD;
	free(charset_out.locale);
	charset_out.locale = NULL;
}

/* The converter to the active codeset (reopened when LC_CTYPE changed), or CHARSET_NO_CD. */
static iconv_t charset_out_cd(void)
{
	const char *now = setlocale(LC_CTYPE, NULL);

	if (!now)
		now = "";
	if (charset_out.locale && strcmp(charset_out.locale, now) == 0)
		return charset_out.cd;
	charset_out_close();
	charset_out.locale = xstrdup(now);
	charset_out.cd = iconv_open(charset_codeset(), "UTF-8");
	return charset_out.cd;
}

int charset_to_locale(const char *utf8, size_t len, int ambiguous_wide, char **out, size_t *outlen)
{
	struct buf b = { 0 };
	size_t flen, inleft;
	char *folded = charset_fold_len(utf8, len, ambiguous_wide, &flen), *in;
	int rc = 0;

	*out = NULL;
	*outlen = 0;
	if (charset_current() == CHARSET_UTF8) {
		*out = folded;
		*outlen = flen;
		return 0;
	}
	iconv_t cd = charset_out_cd();
	if (cd == CHARSET_NO_CD) {
		rc = -EINVAL;
		goto done;
	}
	iconv(cd, NULL, NULL, NULL, NULL);
	in = folded;
	inleft = flen;
	for (int flushed = 0; !flushed;) {
		char chunk[4096], *op = chunk;
		size_t outleft = sizeof chunk, r;
		int e;

		if (inleft > 0) {
			r = iconv(cd, &in, &inleft, &op, &outleft);
		} else {
			r = iconv(cd, NULL, NULL, &op, &outleft);
			flushed = r != (size_t)-1;
		}
		e = errno;
		buf_add(&b, chunk, (size_t)(op - chunk));
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		if ((e != EILSEQ && e != EINVAL) || inleft == 0) {
			rc = -e;
			goto done;
		}
		/* What folding passed through (a C1 control, say) and the charset lacks. */
		size_t skip = 0;
		char q[] = "?", *qp = q;
		size_t qleft = 1;
		text_decode(in, inleft, &skip);
		in += skip;
		inleft -= skip;
		op = chunk;
		outleft = sizeof chunk;
		iconv(cd, &qp, &qleft, &op, &outleft);
		buf_add(&b, chunk, (size_t)(op - chunk));
	}
	*outlen = b.len;
	*out = buf_take(&b);
done:
	buf_free(&b);
	free(folded);
	return rc;
}

int charset_fputs(const char *utf8, FILE *f, int ambiguous_wide)
{
	char *s;
	size_t n;
	int rc = charset_to_locale(utf8, strlen(utf8), ambiguous_wide, &s, &n);

	if (rc < 0)
		return rc;
	errno = 0;
	if (fwrite(s, 1, n, f) != n)
		rc = errno ? -errno : -EIO;
	free(s);
	return rc;
}

char *charset_from_locale(const char *s, size_t len)
{
	const char *cs = charset_codeset();

	if (charset_current() == CHARSET_UTF8 || !cs || !*cs)
		return text_sanitize(s, len);
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return text_sanitize(s, len);
	/* UTF-8 takes at most 3 bytes for a character a 1- or 2-byte charset holds. */
	size_t cap = len * 3 + 4, left = cap;
	char *utf8 = xreallocarray(NULL, len + 2, 3), *o = utf8;
	char *in = (char *)s;
	size_t inleft = len;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &left) != (size_t)-1)
			break;
		if (errno == E2BIG)
			break;
		/* A byte the charset does not know: keep it, the sanitiser shows it as U+FFFD. */
		*o++ = *in++;
		left--;
		inleft--;
	}
	iconv_close(cd);
	char *safe = text_sanitize(utf8, (size_t)(o - utf8));
	free(utf8);
	return safe;
}

void charset_free(void)
{
	charset_out_close();
	charset_fold_free();
}

/*
 * The run's output streams (charset_output_begin): memory streams while
 * converting, with what they collected; else stdout and stderr.
 */
static struct {
	int converting, ambiguous_wide;
	FILE *out, *err;
	char *out_buf, *err_buf;
	size_t out_len, err_len;
} charset_run;

int charset_output_begin(int ambiguous_wide, FILE **out, FILE **err)
{
	*out = stdout;
	*err = stderr;
	memset(&charset_run, 0, sizeof charset_run);
	if (charset_current() == CHARSET_UTF8 && !ambiguous_wide)
		return 0;
	charset_run.out = open_memstream(&charset_run.out_buf, &charset_run.out_len);
	charset_run.err =
		charset_run.out ? open_memstream(&charset_run.err_buf, &charset_run.err_len) : NULL;
	if (!charset_run.err) {
		int e = errno ? errno : ENOMEM;
		if (charset_run.out)
			fclose(charset_run.out);
		free(charset_run.out_buf);
		memset(&charset_run, 0, sizeof charset_run);
		return -e;
	}
	charset_run.converting = 1;
	charset_run.ambiguous_wide = ambiguous_wide != 0;
	*out = charset_run.out;
	*err = charset_run.err;
	return 1;
}

int charset_output_end(void)
{
	int r = 0;

	if (charset_run.converting) {
		/* fclose makes the buffers final; a write error there is one of memory. */
		fclose(charset_run.out);
		fclose(charset_run.err);
		if (charset_run.out_len)
			r = charset_fputs(charset_run.out_buf, stdout, charset_run.ambiguous_wide);
		if (charset_run.err_len)
			charset_fputs(charset_run.err_buf, stderr, charset_run.ambiguous_wide);
		free(charset_run.out_buf);
		free(charset_run.err_buf);
		memset(&charset_run, 0, sizeof charset_run);
	}
	errno = 0;
	if (fflush(stdout) != 0 && r == 0)
		r = errno ? -errno : -EIO;
	charset_free();
	return r;
}
