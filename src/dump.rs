//! Text and JSON views of a document for `fangtan dump`, `outline`, `speakers`, `quotes`.
