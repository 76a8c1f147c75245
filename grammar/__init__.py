"""smallprint.grammar"""
