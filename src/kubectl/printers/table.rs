//! Go's `text/tabwriter` as kubectl configures it, so columns line up byte for byte.
//!
//! Tables (`kubectl get`) use min width 6, padding 3 and the RememberWidths flag of kubectl's
//! tabwriter fork, which keeps column widths across flushes: that is why the lines printed by
//! `get -w` stay aligned with the first table. `describe` uses min width 0, padding 2, and
//! `rollout history` min width 0, padding 2.

/// A tabwriter over tab-separated lines. Cells are aligned in "column blocks": runs of
/// consecutive lines that all have a cell in that column, exactly as Go's elastic tabstops.
#[derive(Debug, Clone)]
pub struct TabWriter {
    min_width: usize,
    padding: usize,
    /// Column widths kept across flushes (kubectl's RememberWidths); None when not remembering.
    remembered: Option<Vec<usize>>,
}

impl TabWriter {
    /// `kubectl get`'s table writer.
    pub fn table() -> TabWriter {
        TabWriter { min_width: 6, padding: 3, remembered: Some(Vec::new()) }
    }

    /// `kubectl describe`'s writer.
    pub fn describe() -> TabWriter {
        TabWriter { min_width: 0, padding: 2, remembered: None }
    }

    /// Aligns `text` (lines with `\t`-separated cells) and returns it.
    pub fn format(&mut self, text: &str) -> String {
        let lines: Vec<Vec<String>> =
            text.split_terminator('\n').map(|l| l.split('\t').map(str::to_string).collect()).collect();
        let mut out = String::new();
        let mut widths = Vec::new();
        self.block(&lines, 0, lines.len(), &mut widths, &mut out);
        out
    }

    /// Formats whole rows (cells without tabs): the last cell of each row is not padded.
    pub fn rows(&mut self, rows: &[Vec<String>]) -> String {
        let text: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
        self.format(&text)
    }

    fn block(&mut self, lines: &[Vec<String>], mut line0: usize, line1: usize, widths: &mut Vec<usize>, out: &mut String) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            let has_cell = |i: usize| lines.get(i).map(|l| column + 1 < l.len()).unwrap_or(false);
            if !has_cell(this) {
                this += 1;
                continue;
            }
            write_lines(lines, line0, this, widths, self.padding, out);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && has_cell(this) {
                let w = lines.get(this).and_then(|l| l.get(column)).map(|c| c.chars().count()).unwrap_or(0) + self.padding;
                width = width.max(w);
                this += 1;
            }
            if let Some(rem) = self.remembered.as_mut() {
                if rem.len() <= column {
                    rem.resize(column + 1, 0);
                }
                if let Some(r) = rem.get_mut(column) {
                    width = width.max(*r);
                    *r = width;
                }
            }
            widths.push(width);
            self.block(lines, line0, this, widths, out);
            widths.pop();
            line0 = this;
        }
        write_lines(lines, line0, line1, widths, self.padding, out);
    }
}

fn write_lines(lines: &[Vec<String>], from: usize, to: usize, widths: &[usize], _padding: usize, out: &mut String) {
    for line in lines.get(from..to).unwrap_or(&[]) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(&w) = widths.get(j) {
                if j + 1 < line.len() {
                    let n = w.saturating_sub(cell.chars().count());
                    out.extend(std::iter::repeat_n(' ', n));
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn statefulset_table_matches_kubectl() {
        let out = TabWriter::table().rows(&[row(&["NAME", "READY", "AGE"]), row(&["web", "2/2", "37s"])]);
        assert_eq!(out, "NAME   READY   AGE\nweb    2/2     37s\n");
    }

    #[test]
    fn min_width_six() {
        let out = TabWriter::table().rows(&[row(&["A", "B"]), row(&["x", "y"])]);
        assert_eq!(out, "A     B\nx     y\n");
    }

    #[test]
    fn remembered_widths_keep_watch_lines_aligned() {
        let mut tw = TabWriter::table();
        let first = tw.rows(&[row(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]), row(&["web-0", "0/1", "ContainerCreating", "0", "1s"])]);
        assert_eq!(first, "NAME    READY   STATUS              RESTARTS   AGE\nweb-0   0/1     ContainerCreating   0          1s\n");
        let next = tw.rows(&[row(&["web-0", "1/1", "Running", "0", "2s"])]);
        assert_eq!(next, "web-0   1/1     Running             0          2s\n");
    }

    #[test]
    fn describe_blocks() {
        let out = TabWriter::describe().format("Name:\tweb\nLabels:\tapp=nginx\n\tb=c\nPod Template:\n  Labels:\tx\nPort:\tweb\t80/TCP\n");
        assert_eq!(out, "Name:    web\nLabels:  app=nginx\n         b=c\nPod Template:\n  Labels:  x\nPort:      web  80/TCP\n");
    }
}
