"""smallprint.checker"""
