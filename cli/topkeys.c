// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keys of `svmtop top` -> state changes.  Pure (only curses' key codes,
 * no curses calls), so tests/top/ drives it without a terminal.
 */
#include <curses.h>
#include <string.h>

#include "top.h"

#define KEY_ESC		27
#define KEY_CTRL_U	21

const double top_intervals[] = { 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60 };
const int top_n_intervals = sizeof(top_intervals) / sizeof(top_intervals[0]);

/* The next step up (dir > 0) or down from cur; stays within the table. */
double top_interval_step(double cur, int dir)
{
	int i;

	if (dir > 0) {
		for (i = 0; i < top_n_intervals; i++)
			if (top_intervals[i] > cur + 1e-9)
				return top_intervals[i];
		return top_intervals[top_n_intervals - 1];
	}
	for (i = top_n_intervals - 1; i >= 0; i--)
		if (top_intervals[i] < cur - 1e-9)
			return top_intervals[i];
	return top_intervals[0];
}

void top_ui_init(struct top_ui *ui, double interval)
{
	memset(ui, 0, sizeof(*ui));
	top_model_init(&ui->m, 3.0);
	ui->interval = interval;
	ui->rows = 10;
}

/* The current view's rows (filtered and sorted), into a caller buffer. */
static size_t view_rows(const struct top_ui *ui, size_t *idx)
{
	return top_model_view(&ui->m, idx);
}

void top_ui_fix_selection(struct top_ui *ui)
{
	size_t n, i, idx[ui->m.nprocs ? ui->m.nprocs : 1];

	n = view_rows(ui, idx);
	if (!n) {
		ui->sel = 0;
		ui->top = 0;
		return;
	}
	for (i = 0; i < n; i++)
		if (ui->m.procs[idx[i]].tgid == ui->sel_tgid)
			break;
	if (i == n)	/* gone or filtered out: keep the position */
		i = ui->sel < (int)n ? (size_t)(ui->sel < 0 ? 0 : ui->sel) : n - 1;
	ui->sel = (int)i;
	ui->sel_tgid = ui->m.procs[idx[i]].tgid;
	if (ui->rows < 1)
		ui->rows = 1;
	if (ui->sel < ui->top)
		ui->top = ui->sel;
	if (ui->sel >= ui->top + ui->rows)
		ui->top = ui->sel - ui->rows + 1;
	if (ui->top < 0)
		ui->top = 0;
}

static void move_sel(struct top_ui *ui, int by)
{
	size_t n, idx[ui->m.nprocs ? ui->m.nprocs : 1];

	n = view_rows(ui, idx);
	if (!n)
		return;
	ui->sel += by;
	if (ui->sel < 0)
		ui->sel = 0;
	if (ui->sel >= (int)n)
		ui->sel = (int)n - 1;
	ui->sel_tgid = ui->m.procs[idx[ui->sel]].tgid;
	top_ui_fix_selection(ui);
}

static enum top_action filter_key(struct top_ui *ui, int key)
{
	size_t n = strlen(ui->edit);

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui->editing = false;
		snprintf(ui->m.filter, sizeof(ui->m.filter), "%s", ui->edit);
		break;
	case KEY_ESC:		/* cancel: the filter stays as it was */
		ui->editing = false;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (n)
			ui->edit[n - 1] = 0;
		break;
	case KEY_CTRL_U:
		ui->edit[0] = 0;
		break;
	default:
		if (key >= 32 && key < 127 && n + 1 < sizeof(ui->edit)) {
			ui->edit[n] = (char)key;
			ui->edit[n + 1] = 0;
		}
		break;
	}
	/* filter as you type */
	if (ui->editing)
		snprintf(ui->m.filter, sizeof(ui->m.filter), "%s", ui->edit);
	top_ui_fix_selection(ui);
	return TOP_ACT_REDRAW;
}

static enum top_action chooser_key(struct top_ui *ui, int key)
{
	switch (key) {
	case KEY_UP:
	case 'k':
		if (ui->chooser > 0)
			ui->chooser--;
		break;
	case KEY_DOWN:
	case 'j':
		if (ui->chooser < TOP_COL_MAX - 1)
			ui->chooser++;
		break;
	case '\n':
	case '\r':
	case ' ':
	case KEY_ENTER:
		if (ui->m.sort == (enum top_col)ui->chooser)
			ui->m.reverse = !ui->m.reverse;
		else
			ui->m.reverse = false;
		ui->m.sort = ui->chooser;
		ui->view = TOP_VIEW_MAIN;
		top_ui_fix_selection(ui);
		break;
	case 'q':
		return TOP_ACT_QUIT;
	default:		/* Esc, s: leave unchanged */
		ui->view = TOP_VIEW_MAIN;
		break;
	}
	return TOP_ACT_REDRAW;
}

enum top_action top_key(struct top_ui *ui, int key)
{
	enum top_view back = TOP_VIEW_MAIN;

	ui->msg[0] = 0;
	if (key == KEY_RESIZE)
		return TOP_ACT_REDRAW;
	if (ui->editing)
		return filter_key(ui, key);
	if (ui->view == TOP_VIEW_SORT)
		return chooser_key(ui, key);
	if (ui->view == TOP_VIEW_HELP) {
		if (key == 'q')
			return TOP_ACT_QUIT;
		ui->view = TOP_VIEW_MAIN;
		return TOP_ACT_REDRAW;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return TOP_ACT_QUIT;
	case KEY_UP:
	case 'k':
		move_sel(ui, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_sel(ui, 1);
		break;
	case KEY_PPAGE:
		move_sel(ui, -(ui->rows > 1 ? ui->rows - 1 : 1));
		break;
	case KEY_NPAGE:
		move_sel(ui, ui->rows > 1 ? ui->rows - 1 : 1);
		break;
	case KEY_HOME:
	case 'g':
		move_sel(ui, -(1 << 30));
		break;
	case KEY_END:
	case 'G':
		move_sel(ui, 1 << 30);
		break;
	case 's':
	case KEY_F(6):
		ui->chooser = ui->m.sort;
		ui->view = TOP_VIEW_SORT;
		break;
	case '<':
	case ',':
		ui->m.sort = ui->m.sort ? ui->m.sort - 1 : TOP_COL_MAX - 1;
		top_ui_fix_selection(ui);
		break;
	case '>':
	case '.':
		ui->m.sort = (ui->m.sort + 1) % TOP_COL_MAX;
		top_ui_fix_selection(ui);
		break;
	case 'r':
		ui->m.reverse = !ui->m.reverse;
		top_ui_fix_selection(ui);
		break;
	case '/':
	case 'f':
		ui->editing = true;
		snprintf(ui->edit, sizeof(ui->edit), "%s", ui->m.filter);
		ui->view = TOP_VIEW_MAIN;
		break;
	case KEY_ESC:
		if (ui->view != TOP_VIEW_MAIN) {
			ui->view = TOP_VIEW_MAIN;
		} else if (ui->m.filter[0]) {
			ui->m.filter[0] = 0;
			top_ui_fix_selection(ui);
		}
		break;
	case 'p':
	case ' ':
		ui->paused = !ui->paused;
		snprintf(ui->msg, sizeof(ui->msg), "%s",
			 ui->paused ? "paused (p resumes)" : "resumed");
		break;
	case '+':
	case '=':
		ui->interval = top_interval_step(ui->interval, 1);
		snprintf(ui->msg, sizeof(ui->msg), "refresh every %gs",
			 ui->interval);
		return TOP_ACT_INTERVAL;
	case '-':
	case '_':
		ui->interval = top_interval_step(ui->interval, -1);
		snprintf(ui->msg, sizeof(ui->msg), "refresh every %gs",
			 ui->interval);
		return TOP_ACT_INTERVAL;
	case 'h':
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui->view = ui->view == TOP_VIEW_HIST ? back : TOP_VIEW_HIST;
		break;
	case 'd':
		ui->view = ui->view == TOP_VIEW_DETAIL ? back : TOP_VIEW_DETAIL;
		break;
	case '?':
	case KEY_F(1):
		ui->view = TOP_VIEW_HELP;
		break;
	default:
		return TOP_ACT_NONE;
	}
	return TOP_ACT_REDRAW;
}
