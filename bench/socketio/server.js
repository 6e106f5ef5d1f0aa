// The Socket.IO 4 chat server that Parley's benchmark measures Parley against, with the same semantics for
// what the scenarios use: join a room; send with a receipt (the event's acknowledgement) carrying the room's
// next seq, an id and a timestamp; the message, with that seq, to every member of the room, the sender's own
// connection included (with its clientMsgId); ack as the read marker. Unlike Parley it stores nothing durably:
// it keeps the seq counters and read markers in memory, as a Socket.IO chat without a database would.
//
//   node server.js PORT      (binds 127.0.0.1; websocket transport only, no compression)
'use strict';
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 3000);
const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });

const seqs = new Map(); // room -> latest seq
const marks = new Map(); // user + '\n' + room -> highest acked seq

io.use((socket, next) => {
  const user = socket.handshake.auth && socket.handshake.auth.user;
  if (typeof user !== 'string' || user.length === 0) return next(new Error('unauthorized'));
  socket.data.user = user;
  next();
});

io.on('connection', (socket) => {
  socket.on('join', (room, answer) => {
    if (typeof room !== 'string') return;
    socket.join(room);
    if (!seqs.has(room)) seqs.set(room, 0);
    if (typeof answer === 'function') answer({ room, seq: seqs.get(room) });
  });

  socket.on('send', (frame, answer) => {
    if (!frame || typeof frame.room !== 'string' || !socket.rooms.has(frame.room)) return;
    const seq = seqs.get(frame.room) + 1;
    seqs.set(frame.room, seq);
    const message = {
      type: 'message', room: frame.room, seq, id: randomUUID(), from: socket.data.user,
      text: String(frame.text), ts: new Date().toISOString(), kind: 'text',
    };
    if (typeof answer === 'function') {
      answer({ room: frame.room, clientMsgId: frame.clientMsgId, seq, id: message.id, ts: message.ts });
    }
    socket.to(frame.room).emit('message', message);
    socket.emit('message', { ...message, clientMsgId: frame.clientMsgId });
  });

  socket.on('ack', (frame) => {
    if (!frame || typeof frame.room !== 'string' || typeof frame.seq !== 'number') return;
    const key = socket.data.user + '\n' + frame.room;
    if ((marks.get(key) || 0) < frame.seq) marks.set(key, frame.seq);
  });
});

httpServer.listen(port, '127.0.0.1', () => console.log(`socket.io chat on 127.0.0.1:${port}`));
