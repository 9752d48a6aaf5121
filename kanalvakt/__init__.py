"""Kanalvakt: official social-media accounts run the way the organisation's policy says."""
