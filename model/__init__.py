"""smallprint.model"""
