"""The hotline desk: a Django site where staff look answers up and run the risk check for a caller.

It imports bot.knowledge, bot.language, bot.risk and bot.settings; nothing in bot/ imports it
(an import-linter contract in pyproject.toml). docs/desk.md says how a hotline sets it up.
"""
