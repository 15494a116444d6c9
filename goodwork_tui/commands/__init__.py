"""The plain-text commands of `goodwork`: none of them imports Textual."""
