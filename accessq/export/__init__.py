"""The live site as queue YAML: `collect` turns an observed snapshot into queues (through the
same ownership partition as the plan), `write` lays them out as one file or a folder.
"""
