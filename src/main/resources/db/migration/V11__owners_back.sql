-- A room's owner who left and joined again was made a member: the room had nobody to run it, and its
-- moderators could ban its owner. Such owners are its owner again, as a return now makes them.
UPDATE membership SET role = 'OWNER'
WHERE role <> 'OWNER'
  AND EXISTS (SELECT 1 FROM room WHERE room.id = membership.room_id AND room.peer IS NULL
                                   AND room.owner = membership.username);
