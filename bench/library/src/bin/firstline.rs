//! Runs a command and reads its standard output to the end, as `| wc -l` would; prints
//! `FIRST_MS TOTAL_MS LINES`: milliseconds to the first line, to the end, and the lines
//! (`-` for FIRST_MS when there was none). Exits with the command's status.
//!
//! usage: firstline CMD [ARGS...]
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("usage: firstline CMD [ARGS...]");
        std::process::exit(2);
    };
    let start = Instant::now();
    let mut child = match Command::new(cmd).args(rest).stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{cmd}: {e}");
            std::process::exit(2);
        }
    };
    let mut out = BufReader::with_capacity(1 << 16, child.stdout.take().expect("piped"));
    let (mut first, mut lines, mut buf) = (None, 0u64, Vec::new());
    loop {
        buf.clear();
        match out.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                first.get_or_insert_with(|| start.elapsed());
                lines += 1;
            }
        }
    }
    let status = child.wait().map(|s| s.code().unwrap_or(1)).unwrap_or(1);
    let total = start.elapsed();
    let ms = |d: std::time::Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!("{} {} {lines}", first.map_or("-".to_string(), ms), ms(total));
    std::process::exit(status);
}
