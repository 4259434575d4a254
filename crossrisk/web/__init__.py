"""Pages: server-rendered, bilingual, working without internet access."""
